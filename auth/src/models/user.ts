import mongoose, { HydratedDocument } from 'mongoose';
import { apiJSONWithout } from '@ticketing/common';
import { Password } from '../services/password';

export interface UserFields {
  email: string;
  /** The scrypt hash, once saved; the plain password only until then. */
  password: string;
}

export type UserDoc = HydratedDocument<UserFields>;

interface UserModel extends mongoose.Model<UserFields> {
  build(attrs: UserFields): UserDoc;
}

const userSchema = new mongoose.Schema<UserFields, UserModel>(
  {
    email: { type: String, required: true, unique: true },
    password: { type: String, required: true },
  },
  { toJSON: apiJSONWithout('password') },
);

userSchema.pre('save', async function hashPassword() {
  if (this.isModified('password')) this.password = await Password.toHash(this.password);
});

userSchema.statics.build = (attrs: UserFields) => new User(attrs);

export const User = mongoose.model<UserFields, UserModel>('User', userSchema);
